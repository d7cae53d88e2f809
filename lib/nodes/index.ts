export {
  displayRpcUrl,
  NODE_SOURCES,
  NodeConfigError,
  type NodeSource,
  type NodeSpec,
  nodeNameSchema,
  parseKamailioNodes,
  parseNodeSpec,
  rpcUrlSchema,
} from "./node-spec";
export {
  type HandshakeSettings,
  handshakeSettingsSchema,
  type NodeProbeSettings,
  probeSettingsInput,
  type RtpengineAddresses,
  rtpengineAddressesSchema,
} from "./probe-settings";
export {
  addNode,
  type KamailioNodeRow,
  listNodeProbeSettings,
  listNodes,
  NodeExistsError,
  NodeNotFoundError,
  removeNode,
  setNodeEnabled,
  setNodeProbeSettings,
  upsertNode,
} from "./registry";
export {
  defaultLabJsonPath,
  LAB_NODE_NAME,
  readLabRpcUrl,
  type SeedOptions,
  type SeedResult,
  seedNodes,
} from "./seed";
