/**
 * pnplab: the Windows kernel Plug and Play manager as a program you can script, step through and
 * test. `boot()` gives a machine; `machine.kernel` has the WDK routines; `machine.registry` is the
 * administrator's view of the registry; `machine.trace` records everything that happens.
 *
 * @example
 * ```ts
 * import {
 *   boot,
 *   ERROR_ACCESS_DENIED,
 *   HKEY_LOCAL_MACHINE,
 *   KEY_READ,
 *   REG_DWORD,
 *   STATUS_SUCCESS,
 * } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const machine = boot();
 * const k = machine.kernel;
 * const { keyHandle } = k.ZwCreateKey(KEY_READ, "\\Registry\\Machine\\Software\\Contoso");
 * // Kernel code: previous mode KernelMode, so the handle's access is not checked. The write
 * // happens, and the verifier names the right the handle lacks (KEY_SET_VALUE).
 * assert.equal(k.ZwSetValueKey(keyHandle, "Value", 0, REG_DWORD, 109), STATUS_SUCCESS);
 * assert.equal(machine.verifier.findings.at(-1)?.rule, "KeyHandleAccess");
 * // An application: previous mode UserMode, so the same write through a KEY_READ handle fails.
 * const app = machine.app("tool");
 * const { hkResult } = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, "Software\\Contoso", 0, KEY_READ);
 * assert.equal(app.RegSetValueEx(hkResult!, "Value", 0, REG_DWORD, 110), ERROR_ACCESS_DENIED);
 * ```
 *
 * @module
 */
export * from "./lib/ntstatus.ts";
export * from "./lib/constants.ts";
export { BugCheck, BUGCHECK_NAMES } from "./lib/bugcheck.ts";
export {
  boot,
  type BootOptions,
  type Finding,
  HiveLoadError,
  Machine,
  type PowerActionInfo,
  type PowerDeviceInfo,
} from "./lib/machine.ts";
export type { DeviceCapabilities as DEVICE_CAPABILITIES } from "./lib/po/capabilities.ts";
export type { PowerCompletionFunction } from "./lib/po/pomgr.ts";
export { Kernel } from "./lib/kernel.ts";
export type {
  KEY_BASIC_INFORMATION,
  KEY_CACHED_INFORMATION,
  KEY_FULL_INFORMATION,
  KEY_NAME_INFORMATION,
  KEY_NODE_INFORMATION,
  KEY_VALUE_BASIC_INFORMATION,
  KEY_VALUE_FULL_INFORMATION,
  KEY_VALUE_PARTIAL_INFORMATION,
  KEY_VALUE_PARTIAL_INFORMATION_ALIGN64,
  KeyInformation,
  KeyValueInformation,
  OBJECT_ATTRIBUTES,
} from "./lib/registry/zw.ts";
export {
  KeyCachedInformation,
  KeyNameInformation,
  KeyValuePartialInformationAlign64,
} from "./lib/registry/zw.ts";
export type { RTL_QUERY_REGISTRY_TABLE } from "./lib/registry/rtl.ts";
export type { RegData, RegValue } from "./lib/registry/data.ts";
export type { KeyNode } from "./lib/registry/hive.ts";
export type { HiveFileError } from "./lib/registry/persist.ts";
export { type HostValue, RegistryView } from "./lib/registry/view.ts";
export { Handle, INVALID_HANDLE_VALUE } from "./lib/ob/handles.ts";
export { type QueuedAction, RunawayQueueError, WorkQueue } from "./lib/ke/queue.ts";
export { Dispatcher } from "./lib/ke/dispatcher.ts";
export type * from "./lib/trace/trace.ts";
export type { DevNodeInfo } from "./lib/machine.ts";
export type { DeviceSpec } from "./lib/bus/virtual_bus.ts";
export {
  type CompletionRoutine,
  DeviceObject,
  type DeviceRole,
  type DispatchRoutine,
  type DRIVER_EXTENSION,
  DriverObject,
  type DriverSpec,
  FileObject,
  type IO_STACK_LOCATION,
  type IO_STATUS_BLOCK,
  IoWorkItem,
  type IoWorkItemRoutine,
  Irp,
  KEVENT,
} from "./lib/io/objects.ts";
export { IO_REMOVE_LOCK } from "./lib/io/removelock.ts";
export { KSPIN_LOCK } from "./lib/ke/spinlock.ts";
export { type PoolAllocation, PoolBlock } from "./lib/ex/pool.ts";
export type { CancelRoutine } from "./lib/io/objects.ts";
export type { DevNodeState } from "./lib/pnp/devnode.ts";
export {
  type DEVICE_INTERFACE_CHANGE_NOTIFICATION,
  type DuplicateReplay,
  type HWPROFILE_CHANGE_NOTIFICATION,
  type NotificationCallback,
  NotificationEntry,
  type NotificationStructure,
  type TARGET_DEVICE_CUSTOM_NOTIFICATION,
  type TARGET_DEVICE_REMOVAL_NOTIFICATION,
} from "./lib/pnp/notify.ts";
export {
  type AppMessage,
  type AppOptions,
  CM_NOTIFY_ACTION,
  DBT,
  DIGCF_DEVICEINTERFACE,
  DIGCF_PRESENT,
  UserApp,
} from "./lib/pnp/usermode.ts";
export { HKEY_LOCAL_MACHINE, HKEY_USERS } from "./lib/pnp/win32_registry.ts";
export * from "./lib/pnp/winerror.ts";
export { PnpHangError } from "./lib/pnp/pnpmgr.ts";
export type { RunOnceCommand } from "./lib/pnp/runonce.ts";
export type { HardwareProfile } from "./lib/registry/system_hive.ts";
export * from "./lib/examples/example_machine.ts";
export {
  DeviceBuilder,
  type DeviceOptions,
  InterfaceBuilder,
  type Listen,
  ListenerBuilder,
  scenario,
  ScenarioContext,
  type ScenarioOptions,
  type SubjectSteps,
  type SubjectVerbs,
} from "./dsl/fluent.ts";
export { type Failure, Runner, runScenarioData, type ScenarioResult } from "./dsl/runner.ts";
export { parseScenario, runScenarioFile, type ScenarioError } from "./dsl/yaml.ts";
export {
  type ApplicationSteps,
  defineStep,
  type DeviceSteps,
  type ExpectationSteps,
  type FieldDef,
  type Fields,
  type FieldsOf,
  type FieldType,
  type FieldValues,
  type InterfaceSteps,
  type LeftOut,
  type Listener,
  type ListenerSteps,
  type MachineSteps,
  type MachineVerb,
  type ModuleSteps,
  type NameDef,
  type NameKind,
  type OptionalField,
  type PowerSteps,
  type RequiredField,
  type Row,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
  STEP_ROWS,
  type StepBase,
  StepContext,
  type StepDef,
  StepError,
  type StepExtras,
  type StepName,
  type StepOfRow,
  type StepRow,
  type StepRows,
  type StepSource,
  type StepWith,
  type Translation,
  type VerbContext,
} from "./dsl/steps.ts";
export {
  declarativeDriver,
  type DriverDecl,
  type Misbehaviour,
  type MisbehaviourName,
  MISBEHAVIOURS,
} from "./dsl/drivers.ts";
export { guidName, resolveGuid, WELL_KNOWN_GUIDS } from "./dsl/guids.ts";
export { formatEvent, formatTrace } from "./lib/trace/format.ts";
export {
  deviceStackPicture,
  deviceTreePicture,
  Picture,
  registryPicture,
  sequencePicture,
} from "./lib/render/svg.ts";
export {
  renderAnalyze,
  renderDeviceTree,
  renderDevStack,
  renderDrvObj,
  renderIrps,
} from "./lib/render/text.ts";
export { renderReport, type ReportEntry } from "./dsl/report.ts";
export { runScenarioWithMachine } from "./dsl/runner.ts";
export { type Evaluation, Session, type SessionOptions } from "./dsl/session.ts";
export { rulePages, RULES_DOC, VERIFIER_RULES, type VerifierRule } from "./lib/verifier/index.ts";
export { docUrl, linkPages, pageLines, type PageMention, pagesNamedIn } from "./lib/doc_pages.ts";
export {
  DEVPKEYS,
  DEVPROP_TYPE,
  type DEVPROPKEY,
  LOCALE_NEUTRAL,
  PLUGPLAY_PROPERTY_PERSISTENT,
  type PropertyData,
  type PropertyResult,
} from "./lib/pnp/properties.ts";
