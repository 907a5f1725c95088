/*
 * Jest resolver for packages that only publish an `import` export condition
 * (kubernetes-models 5.x and its @kubernetes-models/* dependencies). Jest
 * resolves with the `require` conditions, so such packages are "not found";
 * for them only, resolve with the `import` condition. Backstage's jest
 * transform then compiles their ES modules like any other file.
 */
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+)(\/|$)/;

module.exports = (request, options) => {
  if (ESM_ONLY.test(request)) {
    return options.defaultResolver(request, {
      ...options,
      conditions: ['import', 'default'],
    });
  }
  return options.defaultResolver(request, options);
};
