package io.allowedami.simulator.model;

/**
 * A long-term access key of an account. The secret is kept for clients; signatures are not
 * verified.
 */
public record AccessKey(String id, String secret) {}
