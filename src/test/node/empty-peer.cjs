module.exports = {}; // stands in for an optional mem0ai provider peer that is never used
