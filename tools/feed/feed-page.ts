/** build/feed/index.html: what the feed holds and how a device trusts and uses it, per format. */
import type { BuiltApkPackage } from './apk-feed.js';
import type { BuiltPackage } from './feed.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface FeedPageInput {
  version: string;
  ipk: { packages: readonly BuiltPackage[]; keyFile: string };
  apk: { packages: readonly BuiltApkPackage[]; keyFile: string; keyId: string };
}

function rows(packages: ReadonlyArray<{ filename: string; size: number }>, dir: string): string {
  return packages.map((pkg) => `<tr><td><a href="${dir}/${escape(pkg.filename)}">${escape(pkg.filename)}</a></td><td>${pkg.size}</td></tr>`).join('\n');
}

export function renderFeedPage(input: FeedPageInput): string {
  const ipkKey = input.ipk.keyFile.slice(input.ipk.keyFile.lastIndexOf('/') + 1);
  const apkKey = input.apk.keyFile.slice(input.apk.keyFile.lastIndexOf('/') + 1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>smartgrid feed ${escape(input.version)}</title></head>
<body>
<h1>smartgrid package feed ${escape(input.version)}</h1>
<h2>OpenWrt 25.12 (apk)</h2>
<pre>wget -O /etc/apk/keys/${apkKey} https://YOUR.SERVER/smartgrid/apk/${apkKey}
echo https://YOUR.SERVER/smartgrid/apk/packages.adb &gt;&gt; /etc/apk/repositories.d/customfeeds.list
apk update &amp;&amp; apk add smartgrid-telemetry</pre>
<p>Index <a href="apk/packages.adb">apk/packages.adb</a>, signed with ECDSA P-256 key id ${escape(input.apk.keyId)} (<a href="apk/${apkKey}">${apkKey}</a>).</p>
<table><tr><th>package</th><th>bytes</th></tr>
${rows(input.apk.packages, 'apk')}
</table>
<h2>OpenWrt 23.05 and 24.10 (opkg)</h2>
<pre>wget -O /tmp/${ipkKey} https://YOUR.SERVER/smartgrid/ipk/${ipkKey} &amp;&amp; opkg-key add /tmp/${ipkKey}
echo 'src/gz smartgrid https://YOUR.SERVER/smartgrid/ipk' &gt;&gt; /etc/opkg/customfeeds.conf
opkg update &amp;&amp; opkg install smartgrid-telemetry</pre>
<p>Index <a href="ipk/Packages">ipk/Packages</a> (<a href="ipk/Packages.gz">.gz</a>, usign signature <a href="ipk/Packages.sig">Packages.sig</a>, key <a href="ipk/${ipkKey}">${ipkKey}</a>).</p>
<table><tr><th>package</th><th>bytes</th></tr>
${rows(input.ipk.packages, 'ipk')}
</table>
</body></html>
`;
}
