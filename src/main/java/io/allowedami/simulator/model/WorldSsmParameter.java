package io.allowedami.simulator.model;

/**
 * An SSM parameter holding an AMI ID, so that DescribeLaunchTemplateVersions with ResolveAlias can
 * show what a {@code resolve:ssm:} image stands for today.
 */
public record WorldSsmParameter(String accountId, String region, String name, String value) {}
