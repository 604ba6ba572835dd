/**
 * National 3101/3102 (明细审核事前/事中分析服务) input model. Field names are the NHSA ones,
 * verbatim, so a HIS payload maps onto these types with no renaming.
 * Numbers may arrive as strings and are coerced by `normalizeCheckData`.
 */
export {};
//# sourceMappingURL=request.js.map