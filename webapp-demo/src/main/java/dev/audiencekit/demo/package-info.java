/** The demo shop: launcher, shop actions, the loopback analytics.js collector and the identity inspector. */
package dev.audiencekit.demo;
