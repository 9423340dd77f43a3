/** Resolving the anonymousId of a request (SPEC §5): cookies, backup cookie, mirror, coalescing, minting. */
package dev.audiencekit.identity;
