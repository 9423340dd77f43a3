package dev.audiencekit.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates the user class that an init-param names ({@code store}, {@code sink}, {@code consent}): the
 * one place where the library loads and constructs code it was told about by configuration.
 *
 * <p>The class is looked up in the web application's class loader (the thread's context class loader
 * while {@code init()} runs), then in the library's own. It must be public, implement the expected
 * type, and have a public constructor taking {@link Settings} (preferred) or none. Every problem is an
 * {@link InvalidSettingException} naming the parameter, the class and what is wrong; an exception thrown
 * by the constructor is reported with its cause.
 */
public final class Plugins {
  private Plugins() {}

  /**
   * Loads and constructs {@code className} as a {@code type}.
   *
   * @param parameter the init-param that named the class, for error messages
   * @throws InvalidSettingException when the class cannot be loaded, is not a {@code type}, has no usable
   *     constructor, or its constructor throws
   */
  public static <T> T instantiate(String parameter, String className, Class<T> type, Settings settings) {
    Class<?> loaded = load(parameter, className);
    if (!type.isAssignableFrom(loaded)) {
      throw new InvalidSettingException(parameter, className, "does not implement " + type.getName());
    }
    Constructor<?> withSettings = constructor(loaded, Settings.class);
    Constructor<?> noArg = withSettings == null ? constructor(loaded) : null;
    if (withSettings == null && noArg == null) {
      throw new InvalidSettingException(parameter, className,
          "has no public constructor taking (" + Settings.class.getName() + ") or no arguments");
    }
    try {
      Object created = withSettings != null ? withSettings.newInstance(settings) : noArg.newInstance();
      return type.cast(created);
    } catch (InvocationTargetException e) {
      throw new InvalidSettingException(parameter, className, "could not be constructed: " + e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new InvalidSettingException(parameter, className, "could not be constructed: " + e);
    }
  }

  private static Class<?> load(String parameter, String className) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    Throwable failure = null;
    for (ClassLoader loader : new ClassLoader[] {context, Plugins.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(className, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        failure = failure == null ? e : failure;
      }
    }
    throw new InvalidSettingException(parameter, className,
        "is not a class on the classpath of the web application (" + failure + ")");
  }

  private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
    try {
      return type.getConstructor(parameters);
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }
}
