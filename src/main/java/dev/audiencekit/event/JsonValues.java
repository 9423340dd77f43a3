package dev.audiencekit.event;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

/**
 * Converts the traits and properties callers pass ({@code Map<String, ?>} of JSON-representable
 * values) into JSON-P values, rejecting anything else with an {@link IllegalArgumentException} that
 * names the key.
 */
public final class JsonValues {
  /**
   * Looked up once: {@code Json.createX} calls {@code JsonProvider.provider()}, a {@code ServiceLoader}
   * scan of the class path, on every call (tens of KB and microseconds per event in a web application).
   */
  private static final JsonProvider JSON = JsonProvider.provider();
  /** Nesting deeper than this is refused (it is almost always a cycle). */
  static final int MAX_DEPTH = 32;

  private JsonValues() {}

  /**
   * Converts a map of traits or properties; {@code null} is the empty object.
   *
   * @param argument the argument's name, used in error messages ("traits", "properties")
   */
  public static JsonObject object(String argument, Map<String, ?> map) {
    if (map == null) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (map instanceof JsonObject json) {
      return json;
    }
    return toObject(argument, map, 0);
  }

  /** Converts one value; {@code path} names it in errors. */
  public static JsonValue value(String path, Object value) {
    return toValue(path, value, 0);
  }

  private static JsonObject toObject(String path, Map<?, ?> map, int depth) {
    JsonObjectBuilder builder = JSON.createObjectBuilder();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException(path + " has a key that is not a String: " + entry.getKey());
      }
      builder.add(key, toValue(path + "." + key, entry.getValue(), depth + 1));
    }
    return builder.build();
  }

  private static JsonValue toValue(String path, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + " is nested more than " + MAX_DEPTH + " levels deep (a cycle?)");
    }
    if (value == null) {
      return JsonValue.NULL;
    }
    if (value instanceof JsonValue json) {
      return json;
    }
    if (value instanceof String s) {
      return JSON.createValue(s);
    }
    if (value instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return JSON.createValue(((Number) value).longValue());
    }
    if (value instanceof Double d) {
      return finite(path, d);
    }
    if (value instanceof Float f) {
      return finite(path, f.doubleValue());
    }
    if (value instanceof BigDecimal d) {
      return JSON.createValue(d);
    }
    if (value instanceof BigInteger i) {
      return JSON.createValue(i);
    }
    if (value instanceof Number n) {
      return JSON.createValue(new BigDecimal(n.toString()));
    }
    if (value instanceof CharSequence s) {
      return JSON.createValue(s.toString());
    }
    if (value instanceof Character c) {
      return JSON.createValue(c.toString());
    }
    if (value instanceof TemporalAccessor || value instanceof Enum<?> || value instanceof java.util.UUID) {
      return JSON.createValue(value.toString());
    }
    if (value instanceof Date date) {
      return JSON.createValue(date.toInstant().toString());
    }
    if (value instanceof Map<?, ?> map) {
      return toObject(path, map, depth);
    }
    if (value instanceof Collection<?> collection) {
      JsonArrayBuilder array = JSON.createArrayBuilder();
      int i = 0;
      for (Object item : collection) {
        array.add(toValue(path + "[" + i++ + "]", item, depth + 1));
      }
      return array.build();
    }
    if (value.getClass().isArray()) {
      JsonArrayBuilder array = JSON.createArrayBuilder();
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        array.add(toValue(path + "[" + i + "]", Array.get(value, i), depth + 1));
      }
      return array.build();
    }
    throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
        + ", which has no JSON form; use String, Number, Boolean, null, Map, Collection, arrays, "
        + "java.time values or jakarta.json values");
  }

  private static JsonValue finite(String path, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot represent");
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return JSON.createValue((long) d);
    }
    return JSON.createValue(d);
  }

  /** Shallow merge: the keys of {@code update} win (analytics.js trait caching). */
  public static JsonObject merge(JsonObject base, JsonObject update) {
    if (base.isEmpty()) {
      return update;
    }
    if (update.isEmpty()) {
      return base;
    }
    JsonObjectBuilder builder = JSON.createObjectBuilder(base);
    update.forEach(builder::add);
    return builder.build();
  }

  /**
   * A plain-Java, unmodifiable view of a JSON object for callers and JSP EL: strings, numbers
   * ({@code Long} when integral, else {@code BigDecimal}), booleans, {@code null}, maps and lists.
   */
  public static Map<String, Object> toJava(JsonObject object) {
    if (object.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    object.forEach((key, value) -> out.put(key, toJava(value)));
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Object toJava(JsonValue value) {
    switch (value.getValueType()) {
      case STRING:
        return ((jakarta.json.JsonString) value).getString();
      case NUMBER:
        jakarta.json.JsonNumber number = (jakarta.json.JsonNumber) value;
        return number.isIntegral() && number.bigDecimalValue().abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
            ? (Object) number.longValue() : number.bigDecimalValue();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case OBJECT:
        return toJava(value.asJsonObject());
      case ARRAY:
        java.util.List<Object> list = new java.util.ArrayList<>();
        value.asJsonArray().forEach(item -> list.add(toJava(item)));
        return java.util.Collections.unmodifiableList(list);
      default:
        return null;
    }
  }
}
