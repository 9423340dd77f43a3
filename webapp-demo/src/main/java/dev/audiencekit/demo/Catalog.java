package dev.audiencekit.demo;

import java.util.List;
import java.util.Optional;

/** The demo's fixed catalogue. */
public final class Catalog {
  private static final List<Product> PRODUCTS = List.of(
      new Product("MUG-01", "Stoneware Mug", "Hand-thrown, speckled glaze, 350 ml.", "18.00", "#c8643b"),
      new Product("TOWEL-02", "Linen Tea Towel", "Stonewashed linen, 50 × 70 cm.", "12.00", "#5b7f6b"),
      new Product("KETTLE-03", "Pour-over Kettle", "Gooseneck spout, 0.9 l, stainless steel.", "64.00", "#3d5a80"));

  private Catalog() {}

  public static List<Product> products() {
    return PRODUCTS;
  }

  public static Optional<Product> find(String sku) {
    return PRODUCTS.stream().filter(p -> p.getSku().equals(sku)).findFirst();
  }
}
