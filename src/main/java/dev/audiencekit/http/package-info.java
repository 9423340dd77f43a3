/** Servlet request and response plumbing: commit detection, client address behind proxies, path matching. */
package dev.audiencekit.http;
