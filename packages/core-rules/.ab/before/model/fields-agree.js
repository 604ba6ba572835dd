export {};
//# sourceMappingURL=fields-agree.js.map