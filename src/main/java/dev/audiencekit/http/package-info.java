/** What the client sent, seen through trusted proxies: client IP, scheme, host and URL of a request. */
package dev.audiencekit.http;
