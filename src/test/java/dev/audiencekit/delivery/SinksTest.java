package dev.audiencekit.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Settings;
import dev.audiencekit.sink.EventSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinksTest {
  public static final class CustomSink implements EventSink {
    @Override
    public void deliver(List<String> events) {}
  }

  @Test
  void aClassNameSinkIsConstructed() {
    String name = CustomSink.class.getName();
    EventSink sink = Sinks.create(name, Settings.of(Map.of("sink", name)), "test");
    assertThat(sink).isInstanceOf(CustomSink.class);
  }

  @Test
  void aClassThatIsNoSinkFailsNamingTheParameter() {
    assertThatThrownBy(() -> Sinks.create("java.lang.String", Settings.of(Map.of()), "test"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param sink: 'java.lang.String' does not implement dev.audiencekit.sink.EventSink");
  }
}
