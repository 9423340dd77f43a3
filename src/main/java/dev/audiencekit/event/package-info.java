/** Building Segment-spec event JSON from the request, the identity and the caller's arguments. */
package dev.audiencekit.event;
