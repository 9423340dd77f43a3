/** Filter configuration: init-params, system-property and environment overrides, parsed once into {@link dev.audiencekit.config.Settings}. */
package dev.audiencekit.config;
