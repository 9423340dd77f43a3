package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Settings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoresTest {
  static Settings settings(String store) {
    return Settings.of(Map.of("store", store, "fingerprint", "off"));
  }

  @Test
  void memoryOpensABoundedMemoryStore() {
    IdentityStore store = Stores.open(Settings.of(Map.of("store.maxEntries", "2")));
    assertThat(store).isInstanceOf(MemoryStore.class);
    for (int i = 0; i < 5; i++) {
      store.save(IdentityRecord.of("a-" + i, null, null, null, null, null, Instant.EPOCH));
    }
    assertThat(((MemoryStore) store).size()).isEqualTo(2);
  }

  @Test
  void aJdbcUrlOpensAPooledJdbcStore() {
    try (IdentityStore store = Stores.open(settings("jdbc:h2:mem:stores-test;DB_CLOSE_DELAY=-1"))) {
      assertThat(store).isInstanceOf(JdbcStore.class);
      store.save(IdentityRecord.of("a-1", "u-1", null, null, null, null, Instant.EPOCH));
      assertThat(store.find("a-1").userId()).isEqualTo("u-1");
    }
  }

  @Test
  void aJdbcUrlToADatabaseThatIsDownStillOpens() {
    IdentityStore store = Stores.open(settings("jdbc:postgresql://127.0.0.1:1/nothing"));
    store.close();
  }

  @Test
  void aJdbcUrlWithoutADriverNamesTheParameterAndTheFix() {
    assertThatThrownBy(() -> Stores.open(settings("jdbc:nosuchdb://host/db?password=hunter2")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("init-param store")
        .hasMessageContaining("JDBC driver")
        .hasMessageContaining("password=****")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aMissingJndiResourceNamesTheParameter() {
    assertThatThrownBy(() -> Stores.open(settings("jndi:java:comp/env/jdbc/missing")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("init-param store")
        .hasMessageContaining("jndi:java:comp/env/jdbc/missing")
        .hasMessageContaining("resource-ref");
  }

  @Test
  void aClassNameWithASettingsConstructorIsUsed() {
    IdentityStore store = Stores.open(settings(WithSettings.class.getName()));
    assertThat(store).isInstanceOf(WithSettings.class);
    assertThat(((WithSettings) store).settings.store()).isEqualTo(WithSettings.class.getName());
  }

  @Test
  void aClassNameWithANoArgConstructorIsUsed() {
    assertThat(Stores.open(settings(NoArg.class.getName()))).isInstanceOf(NoArg.class);
  }

  @Test
  void aClassThatIsNoStoreIsRefused() {
    assertThatThrownBy(() -> Stores.open(settings("java.lang.String")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("does not implement dev.audiencekit.store.IdentityStore");
  }

  @Test
  void anUnknownClassIsRefused() {
    assertThatThrownBy(() -> Stores.open(settings("com.example.NoSuchStore")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("not a class on the classpath");
  }

  @Test
  void aClassWithoutAUsableConstructorIsRefused() {
    assertThatThrownBy(() -> Stores.open(settings(NoUsableConstructor.class.getName())))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("no public constructor");
  }

  public static class NoArg extends Base {
    public NoArg() {}
  }

  public static class WithSettings extends Base {
    final Settings settings;

    public WithSettings(Settings settings) {
      this.settings = settings;
    }
  }

  public static class NoUsableConstructor extends Base {
    public NoUsableConstructor(String unused) {}
  }

  abstract static class Base implements IdentityStore {
    @Override
    public Instant lastSeen(String anonymousId) {
      return null;
    }

    @Override
    public IdentityRecord find(String anonymousId) {
      return null;
    }

    @Override
    public void save(IdentityRecord record) {}

    @Override
    public void delete(String anonymousId) {}

    @Override
    public void link(String fingerprint, String anonymousId, Instant seen) {}

    @Override
    public void unlink(String fingerprint, String anonymousId) {}

    @Override
    public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
      return List.of();
    }

    @Override
    public int expire(Instant cutoff) {
      return 0;
    }
  }
}
