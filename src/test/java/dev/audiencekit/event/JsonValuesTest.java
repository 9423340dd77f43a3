package dev.audiencekit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

  @Test
  void nullMapIsTheEmptyObject() {
    assertThat(JsonValues.object("traits", null)).isEmpty();
  }

  @Test
  void scalarsKeepTheirJsonTypes() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "text");
    map.put("i", 42);
    map.put("l", 1L << 40);
    map.put("d", 2.5);
    map.put("b", true);
    map.put("n", null);
    map.put("big", new BigDecimal("12345678901234567890.5"));
    assertThat(JsonValues.object("traits", map).toString())
        .isEqualTo("{\"s\":\"text\",\"i\":42,\"l\":1099511627776,\"d\":2.5,\"b\":true,\"n\":null,"
            + "\"big\":12345678901234567890.5}");
  }

  @Test
  void javaTimeValuesBecomeIsoStrings() {
    Map<String, Object> map = Map.of("at", Instant.parse("2026-01-02T03:04:05.678Z"), "on", LocalDate.of(2026, 1, 2));
    JsonObject json = JsonValues.object("traits", map);
    assertThat(json.getString("at")).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(json.getString("on")).isEqualTo("2026-01-02");
  }

  @Test
  void nestedMapsCollectionsAndArraysAreConverted() {
    Map<String, Object> map = Map.of("address", Map.of("city", "Oslo"), "tags", List.of("a", "b"),
        "scores", new int[] {1, 2});
    JsonObject json = JsonValues.object("traits", map);
    assertThat(json.getJsonObject("address").getString("city")).isEqualTo("Oslo");
    assertThat(json.getJsonArray("tags")).hasSize(2);
    assertThat(json.getJsonArray("scores").getInt(1)).isEqualTo(2);
  }

  @Test
  void jsonValuesPassThrough() {
    JsonObject given = Json.createObjectBuilder().add("x", 1).build();
    assertThat(JsonValues.object("traits", given)).isSameAs(given);
  }

  @Test
  void unsupportedValueIsRejectedNamingTheKey() {
    Map<String, Object> map = Map.of("address", Map.of("thread", new Thread()));
    assertThatThrownBy(() -> JsonValues.object("traits", map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("traits.address.thread is a java.lang.Thread");
  }

  @Test
  void nonFiniteNumberIsRejected() {
    assertThatThrownBy(() -> JsonValues.object("properties", Map.of("ratio", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("properties.ratio");
  }

  @Test
  void cycleIsRejectedInsteadOfOverflowingTheStack() {
    Map<String, Object> map = new HashMap<>();
    map.put("self", map);
    assertThatThrownBy(() -> JsonValues.object("traits", map))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested more than");
  }

  @Test
  void mergeIsShallowAndNewKeysWin() {
    JsonObject base = Json.createObjectBuilder().add("a", 1).add("nested", Json.createObjectBuilder().add("x", 1)).build();
    JsonObject update = Json.createObjectBuilder().add("a", 2).add("nested", Json.createObjectBuilder().add("y", 2)).build();
    JsonObject merged = JsonValues.merge(base, update);
    assertThat(merged.getInt("a")).isEqualTo(2);
    assertThat(merged.getJsonObject("nested")).containsOnlyKeys("y");
  }

  @Test
  void javaViewUsesPlainTypes() {
    JsonObject json = Json.createObjectBuilder().add("s", "x").add("n", 3).add("d", 1.5).add("b", false)
        .addNull("z").add("list", Json.createArrayBuilder().add("a")).build();
    Map<String, Object> view = JsonValues.toJava(json);
    assertThat(view).containsEntry("s", "x").containsEntry("n", 3L).containsEntry("b", false).containsEntry("z", null);
    assertThat(view.get("d")).isEqualTo(new BigDecimal("1.5"));
    assertThat(view.get("list")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> view.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
  }
}
