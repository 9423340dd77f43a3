/** Test support for applications that use audiencekit: the filter with its events kept in memory. */
package dev.audiencekit.test;
