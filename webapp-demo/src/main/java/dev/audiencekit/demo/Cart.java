package dev.audiencekit.demo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The visitor's cart, kept in the HTTP session (a JavaBean, for EL). */
public final class Cart implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String ATTRIBUTE = "cart";

  /** sku → quantity, in the order items were first added. */
  private final LinkedHashMap<String, Integer> quantities = new LinkedHashMap<>();

  /** One line of the cart. */
  public static final class Line {
    private final Product product;
    private final int quantity;

    Line(Product product, int quantity) {
      this.product = product;
      this.quantity = quantity;
    }

    public Product getProduct() { return product; }
    public int getQuantity() { return quantity; }
    public BigDecimal getTotal() { return product.getPrice().multiply(BigDecimal.valueOf(quantity)); }
  }

  public synchronized void add(Product product) {
    quantities.merge(product.getSku(), 1, Integer::sum);
  }

  public synchronized int quantity(String sku) {
    return quantities.getOrDefault(sku, 0);
  }

  public synchronized List<Line> getLines() {
    List<Line> lines = new ArrayList<>();
    quantities.forEach((sku, quantity) -> Catalog.find(sku).ifPresent(p -> lines.add(new Line(p, quantity))));
    return lines;
  }

  public synchronized int getCount() {
    return quantities.values().stream().mapToInt(Integer::intValue).sum();
  }

  public synchronized boolean isEmpty() {
    return quantities.isEmpty();
  }

  public BigDecimal getTotal() {
    return getLines().stream().map(Line::getTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The Segment e-commerce spec's {@code products} array. */
  public List<Map<String, Object>> products() {
    List<Map<String, Object>> products = new ArrayList<>();
    for (Line line : getLines()) {
      Map<String, Object> product = new LinkedHashMap<>(line.getProduct().getProperties());
      product.remove("currency");
      product.put("quantity", line.getQuantity());
      products.add(product);
    }
    return products;
  }

  public synchronized void clear() {
    quantities.clear();
  }
}
