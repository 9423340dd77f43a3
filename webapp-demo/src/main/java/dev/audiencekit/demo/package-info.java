/** The demo shop: launcher, shop actions, the consent choice and the identity inspector. */
package dev.audiencekit.demo;
