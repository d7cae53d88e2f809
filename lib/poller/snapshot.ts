// The live snapshot contract, in three parts: schemas (snapshot-schema), builders (snapshot-build) and the API
// response shapes built on them (api-shapes). Import from here.
export * from "./api-shapes";
export * from "./snapshot-build";
export * from "./snapshot-schema";
