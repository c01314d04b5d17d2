// First line of `npm test`: which Node the suite (and every server it starts) runs on.
console.log(`npm test runs on Node ${process.versions.node} (${process.execPath})`);
