/**
 * The IRQL each modelled routine may be called at, from each routine's documentation (`req.irql`),
 * with the DDI compliance rule that checks it where the documentation names one.
 *
 * @module
 */
import { APC_LEVEL, DISPATCH_LEVEL, PASSIVE_LEVEL } from "./constants.ts";

/** One row: the highest IRQL a routine allows, and the rule that checks it. */
export interface IrqlRequirement {
  /** The highest IRQL at which the routine may be called. */
  readonly max: number;
  /** The DDI compliance rule (Driver Verifier) that catches a call above `max`. */
  readonly rule?: string;
  /** The rule's code, bug check 0xC4's first parameter. */
  readonly ruleCode?: number;
}

const zw: IrqlRequirement = { max: PASSIVE_LEVEL, rule: "IrqlZwPassive", ruleCode: 0x2001f };
const rtl: IrqlRequirement = { max: PASSIVE_LEVEL, rule: "IrqlIoRtlZwPassive", ruleCode: 0x20023 };
const ioPassive1: IrqlRequirement = {
  max: PASSIVE_LEVEL,
  rule: "IrqlIoPassive1",
  ruleCode: 0x2000a,
};
const ioPassive3: IrqlRequirement = {
  max: PASSIVE_LEVEL,
  rule: "IrqlIoPassive3",
  ruleCode: 0x2000c,
};
const ioPassive5: IrqlRequirement = {
  max: PASSIVE_LEVEL,
  rule: "IrqlIoPassive5",
  ruleCode: 0x2000e,
};
const passive: IrqlRequirement = { max: PASSIVE_LEVEL };
const dispatch: IrqlRequirement = { max: DISPATCH_LEVEL };

/** Routine name → IRQL requirement. A routine missing here may be called at any IRQL. */
export const ROUTINE_IRQL: Readonly<Record<string, IrqlRequirement>> = {
  ZwCreateKey: zw,
  ZwOpenKey: zw,
  ZwSetValueKey: zw,
  ZwQueryValueKey: zw,
  ZwEnumerateKey: zw,
  ZwEnumerateValueKey: zw,
  ZwQueryKey: zw,
  ZwDeleteKey: zw,
  ZwDeleteValueKey: zw,
  ZwFlushKey: zw,
  ZwClose: zw,
  RtlWriteRegistryValue: rtl,
  RtlQueryRegistryValues: rtl,
  RtlCreateRegistryKey: rtl,
  RtlCheckRegistryKey: rtl,
  RtlDeleteRegistryValue: rtl,
  IoCreateDevice: ioPassive1,
  IoSetDeviceInterfaceState: ioPassive1,
  IoRegisterDeviceInterface: ioPassive3,
  IoDetachDevice: ioPassive3,
  IoGetDeviceObjectPointer: ioPassive5,
  IoDeleteDevice: passive,
  IoOpenDeviceRegistryKey: passive,
  IoOpenDriverRegistryKey: passive,
  IoOpenDeviceInterfaceRegistryKey: passive,
  IoGetDeviceProperty: passive,
  IoGetDevicePropertyData: { max: APC_LEVEL },
  IoSetDevicePropertyData: passive,
  IoGetDeviceInterfaces: passive,
  IoGetDeviceInterfaceAlias: passive,
  IoGetDeviceInterfacePropertyData: passive,
  IoSetDeviceInterfacePropertyData: { max: APC_LEVEL },
  IoRegisterPlugPlayNotification: passive,
  IoUnregisterPlugPlayNotification: passive,
  IoUnregisterPlugPlayNotificationEx: passive,
  IoReportTargetDeviceChange: passive,
  IoReportTargetDeviceChangeAsynchronous: dispatch,
  IoAttachDeviceToDeviceStack: dispatch,
  IoInvalidateDeviceRelations: dispatch,
  IoInvalidateDeviceState: dispatch,
  IoRequestDeviceEject: dispatch,
  IoCallDriver: dispatch,
  IoForwardIrpSynchronously: { max: APC_LEVEL },
  KeSetEvent: dispatch,
  KeClearEvent: dispatch,
  KeResetEvent: dispatch,
  KeReadStateEvent: dispatch,
  KeWaitForSingleObject: dispatch,
  IoAllocateWorkItem: dispatch,
  IoQueueWorkItem: dispatch,
  IoFreeWorkItem: dispatch,
  IoCompleteRequest: dispatch,
  // Power ("PoRequestPowerIrp", "PoSetPowerState", "PoCallDriver", "PoStartNextPowerIrp" pages).
  PoRequestPowerIrp: dispatch,
  PoSetPowerState: dispatch,
  PoCallDriver: dispatch,
  PoStartNextPowerIrp: dispatch,
  IoRegisterShutdownNotification: passive,
  IoUnregisterShutdownNotification: passive,
  ObReferenceObject: dispatch,
  ObDereferenceObject: dispatch,
  // Objects drivers create themselves, from each routine's req.irql.
  IoCreateSymbolicLink: passive,
  IoDeleteSymbolicLink: passive,
  IoAllocateIrp: dispatch,
  IoFreeIrp: dispatch,
  IoReuseIrp: dispatch,
  IoInitializeIrp: dispatch,
  IoBuildSynchronousFsdRequest: passive,
  IoBuildAsynchronousFsdRequest: dispatch,
  IoBuildDeviceIoControlRequest: passive,
  IoGetAttachedDeviceReference: dispatch,
  IoGetLowerDeviceObject: dispatch,
  IoGetDeviceAttachmentBaseRef: dispatch,
  IoInitializeRemoveLock: passive,
  IoAcquireRemoveLock: dispatch,
  IoReleaseRemoveLock: dispatch,
  IoReleaseRemoveLockAndWait: passive,
  KeAcquireSpinLock: dispatch,
  KeReleaseSpinLock: dispatch,
  ExAllocatePool2: dispatch,
  ExFreePoolWithTag: dispatch,
  IoCancelIrp: dispatch,
  IoAcquireCancelSpinLock: dispatch,
  IoReleaseCancelSpinLock: dispatch,
};
