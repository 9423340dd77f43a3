/** A small Spring MVC application with JSP views, used to check audiencekit in the shape most users have. */
package dev.audiencekit.it.spring;
