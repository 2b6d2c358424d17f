// Tests run on the Node.js 20 the project supports; the SDK's notice that future releases need Node.js 22 is
// recorded in docs/architecture.md and would only bury real output here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
