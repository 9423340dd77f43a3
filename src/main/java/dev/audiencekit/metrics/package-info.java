/** Counters of a filter instance and their JMX view. */
package dev.audiencekit.metrics;
