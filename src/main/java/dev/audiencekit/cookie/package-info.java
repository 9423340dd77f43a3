/** The cookie codec: tolerant reading of {@code Cookie} headers, analytics.js-compatible value encoding, hand-built {@code Set-Cookie} headers and cookie-domain resolution. */
package dev.audiencekit.cookie;
