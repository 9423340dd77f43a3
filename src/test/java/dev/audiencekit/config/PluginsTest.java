package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PluginsTest {
  private static final Settings SETTINGS = Settings.of(Map.of());

  public static final class WithSettings implements Supplier<String> {
    final Settings settings;

    public WithSettings(Settings settings) {
      this.settings = settings;
    }

    public WithSettings() {
      this.settings = null;
    }

    @Override
    public String get() {
      return "with settings";
    }
  }

  public static final class NoArg implements Supplier<String> {
    @Override
    public String get() {
      return "no arg";
    }
  }

  public static final class OnlyAString implements Supplier<String> {
    public OnlyAString(String unused) {}

    @Override
    public String get() {
      return "";
    }
  }

  public static final class Throwing implements Supplier<String> {
    public Throwing() {
      throw new IllegalStateException("no database");
    }

    @Override
    public String get() {
      return "";
    }
  }

  @Test
  void prefersTheConstructorTakingSettings() {
    Supplier<?> created = Plugins.instantiate("sink", WithSettings.class.getName(), Supplier.class, SETTINGS);
    assertThat(((WithSettings) created).settings).isSameAs(SETTINGS);
  }

  @Test
  void usesTheNoArgumentConstructorWhenThereIsNoOtherUsableOne() {
    assertThat(Plugins.instantiate("consent", NoArg.class.getName(), Supplier.class, SETTINGS).get())
        .isEqualTo("no arg");
  }

  @Test
  void refusesAClassOfTheWrongTypeNamingParameterAndType() {
    assertThatThrownBy(() -> Plugins.instantiate("consent", "java.lang.String", Supplier.class, SETTINGS))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param consent: 'java.lang.String' ")
        .hasMessageContaining("does not implement java.util.function.Supplier");
  }

  @Test
  void refusesAnUnknownClass() {
    assertThatThrownBy(() -> Plugins.instantiate("sink", "com.example.Missing", Supplier.class, SETTINGS))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param sink: 'com.example.Missing' ")
        .hasMessageContaining("not a class on the classpath");
  }

  @Test
  void refusesAClassWithoutAUsableConstructor() {
    assertThatThrownBy(() -> Plugins.instantiate("store", OnlyAString.class.getName(), Supplier.class, SETTINGS))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("no public constructor");
  }

  @Test
  void reportsWhatTheConstructorThrew() {
    assertThatThrownBy(() -> Plugins.instantiate("store", Throwing.class.getName(), Supplier.class, SETTINGS))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("could not be constructed")
        .hasMessageContaining("no database");
  }
}
