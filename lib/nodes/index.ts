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
  addNode,
  type KamailioNodeRow,
  listNodes,
  NodeExistsError,
  NodeNotFoundError,
  removeNode,
  setNodeEnabled,
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
