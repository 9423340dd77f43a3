/** The public API: {@link dev.audiencekit.AnalyticsFilter} and the request-scoped {@link dev.audiencekit.AnalyticsContext}. */
package dev.audiencekit;
