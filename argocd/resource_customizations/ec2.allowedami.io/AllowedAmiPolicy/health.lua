-- Health of an AllowedAmiPolicy, from the status allowed-ami-operator writes (its StatusBuilder).
-- The conditions follow kstatus
-- (https://github.com/kubernetes-sigs/cli-utils/blob/master/pkg/kstatus/README.md):
-- Ready summarises; Reconciling is True while the operator still converges (Regions being
-- retried, a switch to enabled held by the safe-rollout gate); Stalled is True when it cannot
-- progress until the spec or the account changes (an invalid spec, a terminal AWS error).
-- status.observedGeneration is the generation those conditions describe. spec.suspend: true
-- stops the operator from changing anything in AWS, and so does spec.enforcement: ObserveOnly
-- (Ready reason ObserveOnly while Regions differ from the spec): both are Suspended.
-- Uses no Lua standard library, so it runs as an argocd-cm customization too.

local function findCondition(conditionType)
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function isTrue(condition)
  return condition ~= nil and condition.status == "True"
end

-- Ready's message sums up every case; the deciding condition's stands in when Ready has none.
local function summary(ready, deciding)
  if ready ~= nil and ready.message ~= nil and ready.message ~= "" then
    return ready.message
  end
  if deciding ~= nil and deciding.message ~= nil then
    return deciding.message
  end
  return ""
end

local hs = {}

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: the operator changes nothing in AWS while spec.suspend is true"
  -- Once the operator has seen the suspension, Ready says what it would change.
  if obj.status ~= nil and obj.status.conditions ~= nil then
    local suspended = findCondition("Ready")
    if suspended ~= nil and suspended.reason == "Suspended" and suspended.message ~= nil
        and suspended.message ~= "" then
      hs.message = suspended.message
    end
  end
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local observed = obj.status.observedGeneration
local generation = obj.metadata.generation
if observed ~= nil and generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local ready = findCondition("Ready")
local reconciling = findCondition("Reconciling")
local stalled = findCondition("Stalled")

-- A terminal error in one Region is Degraded even while other Regions are being retried.
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = summary(ready, stalled)
  return hs
end

if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = summary(ready, reconciling)
  return hs
end

-- spec.enforcement ObserveOnly with Regions that differ: the operator reports and waits for a
-- person to switch to Enforce, as a suspended resource waits to be resumed.
if ready ~= nil and ready.status == "False" and ready.reason == "ObserveOnly" then
  hs.status = "Suspended"
  hs.message = summary(ready, nil)
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = summary(ready, nil)
  -- The setting is in force; instances launched from images it does not allow are worth saying.
  local compliant = findCondition("Compliant")
  if compliant ~= nil and compliant.status == "False" and compliant.message ~= nil then
    hs.message = hs.message .. "; " .. compliant.message
  end
  -- AWS's rollout cautions never block, but they say what enabling would break next.
  local warning = findCondition("RolloutWarning")
  if isTrue(warning) and warning.message ~= nil then
    hs.message = hs.message .. "; rollout warning: " .. warning.message
  end
  return hs
end

hs.status = "Progressing"
hs.message = summary(ready, nil)
if hs.message == "" then
  hs.message = "Waiting for the operator to report Ready"
end
return hs
