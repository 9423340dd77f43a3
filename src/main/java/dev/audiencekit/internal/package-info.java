/** Small utilities the library's packages share; not an API, with no compatibility promise. */
package dev.audiencekit.internal;
