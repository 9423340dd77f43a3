/** Event sinks: http, log, jsonl, memory, none, and the {@link dev.audiencekit.sink.EventSink} SPI. */
package dev.audiencekit.sink;
