/** The JSP tag library {@code https://audiencekit.dev/tags}: events, identity and the analytics.js snippet. */
package dev.audiencekit.tags;
