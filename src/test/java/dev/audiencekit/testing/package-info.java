/** Test support: embedded Jetty and Tomcat, a cookie-keeping browser, probe servlets. */
package dev.audiencekit.testing;
