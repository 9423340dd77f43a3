package dev.audiencekit.tags;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.jsp.tagext.SimpleTagSupport;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The TLD is complete: SPEC §8's tags and attributes, every class loads, every attribute has a setter. */
class TldTest {
  /** SPEC §8, tag → attributes (required ones marked with a trailing '!'). */
  static final Map<String, List<String>> SPEC = new LinkedHashMap<>();

  static {
    SPEC.put("page", List.of("category", "name", "title", "properties", "anonymousId", "ip"));
    SPEC.put("track", List.of("event!", "properties", "anonymousId", "ip"));
    SPEC.put("identify", List.of("userId", "traits", "anonymousId"));
    SPEC.put("group", List.of("groupId", "traits"));
    SPEC.put("alias", List.of("userId!", "previousId"));
    SPEC.put("reset", List.of());
    SPEC.put("property", List.of("name!", "value"));
    SPEC.put("trait", List.of("name!", "value"));
    SPEC.put("anonymousId", List.of("var"));
    SPEC.put("user", List.of("var!"));
    SPEC.put("ready", List.of());
    SPEC.put("snippet", List.of("writeKey", "src", "cdnHost", "apiHost", "page"));
  }

  private static Element taglib;

  @BeforeAll
  static void parse() throws Exception {
    try (InputStream in = TldTest.class.getResourceAsStream("/META-INF/audiencekit.tld")) {
      assertThat(in).as("META-INF/audiencekit.tld on the classpath").isNotNull();
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Document document = factory.newDocumentBuilder().parse(in);
      taglib = document.getDocumentElement();
    }
  }

  @Test
  void declaresTheUriAndTheJsp30Schema() {
    assertThat(taglib.getNamespaceURI()).isEqualTo("https://jakarta.ee/xml/ns/jakartaee");
    assertThat(taglib.getAttribute("version")).isEqualTo("3.0");
    assertThat(text(taglib, "uri")).isEqualTo("https://audiencekit.dev/tags");
    assertThat(text(taglib, "short-name")).isEqualTo("analytics");
    assertThat(text(taglib, "description")).isNotBlank();
  }

  @Test
  void declaresExactlyTheTagsAndAttributesOfTheSpec() {
    Map<String, List<String>> declared = new LinkedHashMap<>();
    for (Element tag : children(taglib, "tag")) {
      List<String> attributes = new ArrayList<>();
      for (Element attribute : children(tag, "attribute")) {
        attributes.add(text(attribute, "name") + ("true".equals(text(attribute, "required")) ? "!" : ""));
      }
      declared.put(text(tag, "name"), attributes);
    }
    assertThat(declared).containsExactlyEntriesOf(SPEC);
  }

  @Test
  void everyTagClassLoadsAsASimpleTagWithAPublicNoArgConstructor() throws Exception {
    for (Element tag : children(taglib, "tag")) {
      Class<?> type = Class.forName(text(tag, "tag-class"));
      assertThat(SimpleTagSupport.class).as(text(tag, "name")).isAssignableFrom(type);
      assertThat(Modifier.isPublic(type.getModifiers())).as(type.getName()).isTrue();
      assertThat(type.getConstructor().newInstance()).isNotNull();
    }
  }

  @Test
  void everyAttributeHasAPublicSetterOfItsDeclaredType() throws Exception {
    for (Element tag : children(taglib, "tag")) {
      Class<?> type = Class.forName(text(tag, "tag-class"));
      for (Element attribute : children(tag, "attribute")) {
        String name = text(attribute, "name");
        String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Class<?> declared = typeOf(text(attribute, "type"));
        Method method = type.getMethod(setter, declared);
        assertThat(Modifier.isPublic(method.getModifiers())).as(type.getSimpleName() + "." + setter).isTrue();
        assertThat(text(attribute, "rtexprvalue")).as(name).isEqualTo("true");
      }
    }
  }

  @Test
  void everyTagAndAttributeIsDescribed() {
    for (Element tag : children(taglib, "tag")) {
      assertThat(text(tag, "description")).as("description of " + text(tag, "name")).hasSizeGreaterThan(20);
      assertThat(text(tag, "body-content")).isIn("empty", "scriptless");
      for (Element attribute : children(tag, "attribute")) {
        assertThat(text(attribute, "description"))
            .as("description of " + text(tag, "name") + "/" + text(attribute, "name")).hasSizeGreaterThan(10);
      }
    }
  }

  private static Class<?> typeOf(String name) throws ClassNotFoundException {
    return switch (name) {
      case "boolean" -> boolean.class;
      case "int" -> int.class;
      default -> Class.forName(name);
    };
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && name.equals(element.getLocalName())) {
        result.add(element);
      }
    }
    return result;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0).getTextContent().trim();
  }
}
