/** Privacy-sensitive request signals: device fingerprints (HMAC only), crawler detection, GPC/DNT opt-outs. */
package dev.audiencekit.privacy;
