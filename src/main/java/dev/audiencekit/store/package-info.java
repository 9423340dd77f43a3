/** The server-side identity mirror: the {@link dev.audiencekit.store.IdentityStore} SPI and its implementations. */
package dev.audiencekit.store;
