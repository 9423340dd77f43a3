/** Event delivery: the bounded queue, batching, retries, the disk spool and clean shutdown. */
package dev.audiencekit.delivery;
