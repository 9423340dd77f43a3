package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares the encoder with {@code encoding-golden.jsonl}, which JavaScript itself produced (see the .js beside it). */
class EncodingGoldenFileTest {
  private static final List<String[]> ROWS = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        EncodingGoldenFileTest.class.getResourceAsStream("encoding-golden.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonArray row = Json.createReader(new java.io.StringReader(line)).readArray();
        ROWS.add(new String[] {row.getString(0), row.getString(1), row.getString(2)});
      }
    }
    assertThat(ROWS).hasSize(1000);
  }

  @Test
  void nextEncodingMatchesJavaScript() {
    for (String[] row : ROWS) {
      assertThat(CookieValueEncoder.encodeNext(row[0])).as("id %s", row[0]).isEqualTo(row[1]);
    }
  }

  @Test
  void classicEncodingMatchesJavaScript() {
    for (String[] row : ROWS) {
      assertThat(CookieValueEncoder.encodeClassic(row[0])).as("id %s", row[0]).isEqualTo(row[2]);
    }
  }

  @Test
  void javaScriptEncodingsReadBackAsTheId() {
    for (String[] row : ROWS) {
      assertThat(CookieValue.decode(row[1]).value()).as("next %s", row[1]).isEqualTo(row[0]);
      assertThat(CookieValue.decode(row[2]).value()).as("classic %s", row[2]).isEqualTo(row[0]);
    }
  }
}
