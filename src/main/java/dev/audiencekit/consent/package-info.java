/** A visitor's consent: the {@code ConsentSource} SPI, the built-in sources and what a request's consent allows. */
package dev.audiencekit.consent;
