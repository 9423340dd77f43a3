package dev.audiencekit.event;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import jakarta.json.spi.JsonProvider;

/**
 * Converts the traits and properties callers pass ({@code Map<String, ?>} of JSON-representable
 * values) into JSON-P values, rejecting anything else with an {@link IllegalArgumentException} that
 * names the key.
 */
public final class JsonValues {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();

  /** Nesting deeper than this is refused (it is almost always a cycle). */
  static final int MAX_DEPTH = 32;

  private JsonValues() {}

  /**
   * Converts a map of traits or properties; {@code null} is the empty object.
   *
   * @param argument the argument's name, used in error messages ("traits", "properties")
   */
  public static JsonObject object(String argument, Map<String, ?> map) {
    if (map == null || map.isEmpty()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (map instanceof JsonObject json) {
      return json;
    }
    return parse(text(argument, map)).asJsonObject();
  }

  /** Converts one value; {@code path} names it in errors. */
  public static JsonValue value(String path, Object value) {
    if (value instanceof JsonValue json) {
      return json;
    }
    StringBuilder out = new StringBuilder();
    append(out, path, value, 0);
    return parse(out.toString());
  }

  /** The JSON text of a map of traits or properties ({@code "{}"} for null), validated as {@link #object}. */
  public static String text(String argument, Map<String, ?> map) {
    if (map == null || map.isEmpty()) {
      return "{}";
    }
    StringBuilder out = new StringBuilder(64 + 32 * map.size());
    append(out, argument, map, 0);
    return out.toString();
  }

  /** Appends the JSON text of {@code value} to {@code out}; {@code path} names it in errors. */
  public static void append(StringBuilder out, String path, Object value) {
    append(out, path, value, 0);
  }

  private static JsonValue parse(String text) {
    try (JsonReader reader = JSON_P.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  private static void append(StringBuilder out, String path, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + " is nested more than " + MAX_DEPTH + " levels deep (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      JsonStrings.append(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Double d) {
      appendFinite(out, path, d);
    } else if (value instanceof Float f) {
      appendFinite(out, path, f.doubleValue());
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Number n) {
      out.append(new BigDecimal(n.toString()));
    } else if (value instanceof JsonValue json) {
      out.append(json);
    } else if (value instanceof CharSequence || value instanceof Character || value instanceof TemporalAccessor
        || value instanceof Enum<?> || value instanceof java.util.UUID) {
      JsonStrings.append(out, value.toString());
    } else if (value instanceof Date date) {
      JsonStrings.append(out, date.toInstant().toString());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a key that is not a String: " + entry.getKey());
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonStrings.append(out, key);
        out.append(':');
        Object item = entry.getValue();
        append(out, isScalar(item) ? path : path + "." + key, item, depth + 1);
      }
      out.append('}');
    } else if (value instanceof Collection<?> collection) {
      out.append('[');
      int i = 0;
      for (Object item : collection) {
        if (i > 0) {
          out.append(',');
        }
        append(out, isScalar(item) ? path : path + "[" + i + "]", item, depth + 1);
        i++;
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      out.append('[');
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          out.append(',');
        }
        Object item = Array.get(value, i);
        append(out, isScalar(item) ? path : path + "[" + i + "]", item, depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
          + ", which has no JSON form; use String, Number, Boolean, null, Map, Collection, arrays, "
          + "java.time values or jakarta.json values");
    }
  }

  /**
   * Whether {@code value} certainly converts without an error, so its path need not be spelled out
   * (the path of a scalar is only needed in error messages; building it for every key would cost an
   * allocation per property).
   */
  private static boolean isScalar(Object value) {
    return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long;
  }

  private static void appendFinite(StringBuilder out, String path, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot represent");
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(d);
    }
  }

  /** Shallow merge: the keys of {@code update} win (analytics.js trait caching). */
  public static JsonObject merge(JsonObject base, JsonObject update) {
    if (base.isEmpty()) {
      return update;
    }
    if (update.isEmpty()) {
      return base;
    }
    JsonObjectBuilder builder = JSON_P.createObjectBuilder(base);
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
