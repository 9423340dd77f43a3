package dev.audiencekit.demo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** An order being checked out or completed (a JavaBean, for EL). */
public final class Order implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String CHECKOUT = "checkout";
  static final String COMPLETED = "lastOrder";

  private final String id;
  private final BigDecimal total;
  private final int count;
  private final List<Map<String, Object>> products;

  Order(Cart cart) {
    this.id = "ord-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
    this.total = cart.getTotal();
    this.count = cart.getCount();
    this.products = List.copyOf(cart.products());
  }

  public String getId() { return id; }
  public BigDecimal getTotal() { return total; }
  public int getCount() { return count; }

  /** The e-commerce spec's properties of Checkout Started and Order Completed. */
  public Map<String, Object> getProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("order_id", id);
    properties.put("value", total);
    properties.put("revenue", total);
    properties.put("currency", "EUR");
    properties.put("products", products);
    return properties;
  }
}
