package dev.audiencekit.demo;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A product of the demo catalogue (a JavaBean, for EL). */
public final class Product {
  private final String sku;
  private final String name;
  private final String blurb;
  private final BigDecimal price;
  private final String color;

  Product(String sku, String name, String blurb, String price, String color) {
    this.sku = sku;
    this.name = name;
    this.blurb = blurb;
    this.price = new BigDecimal(price);
    this.color = color;
  }

  public String getSku() { return sku; }
  public String getName() { return name; }
  public String getBlurb() { return blurb; }
  public BigDecimal getPrice() { return price; }
  /** The colour of the product's illustration (a CSS hex colour from the catalogue, never user input). */
  public String getColor() { return color; }

  /** The Segment e-commerce spec's product fields. */
  public Map<String, Object> getProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("product_id", sku);
    properties.put("sku", sku);
    properties.put("name", name);
    properties.put("price", price);
    properties.put("currency", "EUR");
    return properties;
  }
}
