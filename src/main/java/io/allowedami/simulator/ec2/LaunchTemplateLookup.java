package io.allowedami.simulator.ec2;

import io.allowedami.simulator.model.WorldLaunchTemplate;
import io.allowedami.simulator.protocol.ApiException;
import io.allowedami.simulator.protocol.CallContext;
import io.allowedami.simulator.state.LaunchTemplateStore;

/** Finds launch templates named in a request by ID or name, with AWS's error codes. */
final class LaunchTemplateLookup {

  private final LaunchTemplateStore store;
  private final CallContext call;

  LaunchTemplateLookup(LaunchTemplateStore store, CallContext call) {
    this.store = store;
    this.call = call;
  }

  static void checkId(String id) {
    if (!WorldLaunchTemplate.isWellFormedId(id)) {
      throw new ApiException(
          400,
          "InvalidLaunchTemplateId.Malformed",
          "The specified ID for the launch template, " + id + ", is malformed.");
    }
  }

  static void checkName(String name) {
    if (!WorldLaunchTemplate.isWellFormedName(name)) {
      throw new ApiException(
          400,
          "InvalidLaunchTemplateName.MalformedException",
          "A launch template name must be between 3 and 128 characters, and may contain letters,"
              + " numbers, and the following characters: - ( ) . / _.");
    }
  }

  WorldLaunchTemplate byId(String id) {
    checkId(id);
    return store
        .byId(call.accountId(), call.region(), id)
        .orElseThrow(
            () ->
                new ApiException(
                    400,
                    "InvalidLaunchTemplateId.NotFound",
                    "The specified launch template, with template ID " + id + ", does not exist."));
  }

  WorldLaunchTemplate byName(String name) {
    checkName(name);
    return store
        .byName(call.accountId(), call.region(), name)
        .orElseThrow(
            () ->
                new ApiException(
                    400,
                    "InvalidLaunchTemplateName.NotFoundException",
                    "The specified launch template, with template name "
                        + name
                        + ", does not exist."));
  }

  static ApiException combination(String message) {
    return new ApiException(400, "InvalidParameterCombination", message);
  }
}
