/** First-party collection: the filter answering analytics.js's API under a path of the application itself. */
package dev.audiencekit.collect;
