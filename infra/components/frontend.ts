import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { SiteConfig } from '../../src/contract/config.js';
import { loadConfig } from '../../src/entrypoints/config.js';
import { contentTypeOf } from '../../src/entrypoints/http/content-types.js';
import { fileRulesOf } from '../../src/entrypoints/http/site-config.js';
import { denyPlainHttp } from './storage.js';
import type { CustomDomain } from '../custom-domain.js';
import { API_STAGE } from './api.js';
import { ORIGIN_VERIFY_HEADER } from '../../src/entrypoints/http/origin-verify.js';
import { withCognitoPreload, type ViteManifest } from './spa-index.js';

export interface FrontendArgs {
  siteBucket: aws.s3.Bucket;
  /** The API stage's invoke URL (…/api): CloudFront forwards `/api/*` to it, same origin as the site. */
  apiUrl: pulumi.Input<string>;
  /** Sent to the API with every forwarded request; the API refuses requests without it. */
  originVerifySecret: pulumi.Input<string>;
  /**
   * `/config.json` for the SPA, from the stack outputs; `apiUrl` (`/api`, same origin) and `files`
   * (what the functions accept) are added here.
   */
  siteConfig: pulumi.Input<Omit<SiteConfig, 'apiUrl' | 'files'>>;
  cognitoRegion: pulumi.Input<string>;
  /** The upload bucket's regional host: the browser PUTs presigned uploads there. */
  uploadsHost: pulumi.Input<string>;
  /** The built SPA (web/dist, an absolute path); its files are uploaded. */
  distDir: string;
  /** The site's own domain, with its ACM certificate (us-east-1); else the distribution's *.cloudfront.net. */
  customDomain?: CustomDomain;
  /** A WAFv2 web ACL (scope CLOUDFRONT) in front of everything. */
  webAclArn?: pulumi.Input<string>;
}

/** Where CloudFront sends API calls: the stage is named after it, so the path passes through as it is. */
export const API_PATH_PREFIX = `/${API_STAGE}`;

// AWS managed policies (stable ids documented by CloudFront).
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** Viewer-request function (cloudfront-js-2.0): a path whose last segment has no dot is an SPA route. */
export const SPA_ROUTES_FUNCTION = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
`;

/**
 * CloudFront in front of the private site bucket (origin access control) and of the API: HTTPS
 * only, HTTP/2 and 3, SPA fallback to index.html, security headers on every response, and the
 * SPA's files with their content types and cache headers.
 */
export class Frontend extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  /** The site's origin: https:// and the custom domain, or the distribution's own. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: FrontendArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Frontend', name, {}, opts);
    const parent = { parent: this };
    const api = pulumi.output(args.apiUrl).apply((url) => new URL(url));

    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      { originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' },
      parent,
    );
    const headers = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      {
        securityHeadersConfig: {
          contentSecurityPolicy: {
            override: true,
            contentSecurityPolicy: pulumi.interpolate`default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' https://cognito-idp.${args.cognitoRegion}.amazonaws.com https://${args.uploadsHost}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`,
          },
          strictTransportSecurity: { override: true, accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true },
          frameOptions: { override: true, frameOption: 'DENY' },
          contentTypeOptions: { override: true },
          referrerPolicy: { override: true, referrerPolicy: 'strict-origin-when-cross-origin' },
        },
      },
      parent,
    );

    // The SPA's own routes (/c/:id) are paths S3 has no file for: they get index.html. A CloudFront
    // Function on the site behaviour only, rather than custom error responses, which would also turn
    // the API's own 403 and 404 answers into a 200 page of HTML.
    const spaRoutes = new aws.cloudfront.Function(
      `${name}-spa-routes`,
      {
        runtime: 'cloudfront-js-2.0',
        comment: 'Paths without a file extension are routes of the SPA: serve index.html',
        publish: true,
        code: SPA_ROUTES_FUNCTION,
      },
      parent,
    );

    this.distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        isIpv6Enabled: true,
        httpVersion: 'http2and3',
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        origins: [
          { originId: 'site', domainName: args.siteBucket.bucketRegionalDomainName, originAccessControlId: oac.id },
          {
            // `/api/chat` reaches the stage `api`, resource `/chat`: no origin path to add.
            originId: 'api',
            domainName: api.hostname,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], originReadTimeout: 60 },
            customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifySecret }],
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: 'site',
          viewerProtocolPolicy: 'redirect-to-https',
          allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
          cachedMethods: ['GET', 'HEAD'],
          compress: true,
          cachePolicyId: CACHING_OPTIMIZED,
          responseHeadersPolicyId: headers.id,
          functionAssociations: [{ eventType: 'viewer-request', functionArn: spaRoutes.arn }],
        },
        orderedCacheBehaviors: [
          {
            pathPattern: `${API_PATH_PREFIX}/*`,
            targetOriginId: 'api',
            viewerProtocolPolicy: 'https-only',
            allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            cachedMethods: ['GET', 'HEAD'],
            compress: false, // compressing would buffer the streamed answers
            cachePolicyId: CACHING_DISABLED,
            originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
            responseHeadersPolicyId: headers.id,
          },
        ],
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        ...(args.customDomain
          ? {
              aliases: [args.customDomain.name],
              // Only a certificate of one's own lets CloudFront refuse TLS 1.0 and 1.1 to viewers.
              viewerCertificate: { acmCertificateArn: args.customDomain.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
            }
          : // The *.cloudfront.net certificate: CloudFront then allows TLS 1.0 whatever is asked (README, Deploy).
            { viewerCertificate: { cloudfrontDefaultCertificate: true } }),
        ...(args.webAclArn && { webAclId: args.webAclArn }),
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-site-policy`,
      {
        bucket: args.siteBucket.id,
        policy: pulumi.all([args.siteBucket.arn, this.distribution.arn]).apply(([bucketArn, distributionArn]) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudfront.amazonaws.com' },
                Action: 's3:GetObject',
                Resource: `${bucketArn}/*`,
                Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
              },
              denyPlainHttp(bucketArn),
            ],
          }),
        ),
      },
      parent,
    );

    new aws.s3.BucketObjectv2(
      `${name}-config-json`,
      {
        bucket: args.siteBucket.id,
        key: 'config.json',
        content: pulumi.output(args.siteConfig).apply((config) => JSON.stringify(siteConfigJson(config))),
        contentType: 'application/json',
        cacheControl: 'no-cache',
      },
      parent,
    );
    if (!existsSync(join(args.distDir, 'index.html'))) {
      // Without it CloudFront would answer every visit with S3's 403: no stack without its site.
      throw new Error(`The built web app is missing (${args.distDir}/index.html). Run \`npm run build\` first.`);
    }
    const manifestPath = join(args.distDir, '.vite', 'manifest.json');
    const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ViteManifest) : {};
    for (const file of filesUnder(args.distDir)) {
      const key = relative(args.distDir, file).split('\\').join('/');
      // Vite's own bookkeeping, read above: not part of the site.
      if (key.startsWith('.vite/')) continue;
      const body =
        key === 'index.html'
          ? { content: withCognitoPreload(readFileSync(file, 'utf8'), manifest) }
          : { source: new pulumi.asset.FileAsset(file) };
      new aws.s3.BucketObjectv2(
        `${name}-site-${key}`,
        {
          bucket: args.siteBucket.id,
          key,
          ...body,
          contentType: contentTypeOf(extname(file)),
          // Hashed assets never change; everything else is checked on each visit.
          cacheControl: key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        parent,
      );
    }

    this.url = args.customDomain ? pulumi.output(`https://${args.customDomain.name}`) : pulumi.interpolate`https://${this.distribution.domainName}`;
    this.registerOutputs({ url: this.url });
  }
}

/**
 * `/config.json` as the stack serves it. `files` is what the functions apply: they are given no
 * file limits (functions.ts), so they run with the server's defaults, which `loadConfig` reads here too.
 */
export function siteConfigJson(config: Omit<SiteConfig, 'apiUrl' | 'files'>): SiteConfig {
  // Relative: the same build works on the custom domain and on the distribution's own.
  return { apiUrl: API_PATH_PREFIX, ...config, files: fileRulesOf(loadConfig({}).files) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
