import { describe, expect, it } from 'vitest';
import {
  MAX_SLUG_LENGTH,
  assignSlugs,
  findDirectoryPackage,
  listDirectorySpecs,
  nameSpec,
  vendorOf,
} from '../../src/directory/index.js';

const specIds = listDirectorySpecs(findDirectoryPackage().specRoot);

describe('directory slugs', () => {
  it('names a toolkit after its vendor, then its service: the HubSpot CRM spec is hubspot-crm', () => {
    const slugs = assignSlugs(specIds);
    expect(slugs.get('hubapi.com/crm')).toBe('hubspot-crm');
    expect(slugs.get('stripe.com')).toBe('stripe');
    expect(slugs.get('googleapis.com/calendar')).toBe('google-calendar');
    expect(slugs.get('amazonaws.com/s3')).toBe('aws-s3');
    expect(slugs.get('apideck.com/crm')).toBe('apideck-crm');
  });

  it('takes the vendor from the domain, skipping country and hosting suffixes', () => {
    expect(vendorOf('stripe.com')).toBe('stripe');
    expect(vendorOf('bbci.co.uk')).toBe('bbci');
    expect(vendorOf('apisetu.gov.in')).toBe('apisetu');
    expect(vendorOf('cnab-online.herokuapp.com')).toBe('cnab-online');
    expect(vendorOf('hubapi.com')).toBe('hubspot');
  });

  it('drops service words that repeat the vendor or the domain, filler and run-together words', () => {
    expect(nameSpec('twilio.com/twilio_chat_v1').serviceWords).toEqual(['chat', 'v1']);
    expect(nameSpec('adyen.com/CheckoutService').serviceWords).toEqual(['checkout']);
    expect(nameSpec('azure.com/adhybridhealthservice-ADHybridHealthService').serviceWords).toEqual([
      'ad',
      'hybrid',
      'health',
    ]);
    expect(nameSpec('github.com/ghes-3.3').serviceWords).toEqual(['ghes', '3', '3']);
  });

  it('gives every spec of the directory a unique slug of at most 40 lower-case letters, digits and dashes', () => {
    const slugs = [...assignSlugs(specIds).values()];
    expect(slugs).toHaveLength(specIds.length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) {
      expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('keeps a contested slug for the spec without a service and disambiguates the others', () => {
    const slugs = assignSlugs(['github.com', 'github.com/api.github.com', 'github.com/ghes-3.8']);
    expect(slugs.get('github.com')).toBe('github');
    expect(slugs.get('github.com/api.github.com')).toBe('github-api');
    expect(slugs.get('github.com/ghes-3.8')).toBe('github-ghes-3-8');
  });

  it('drops leading service words, not the last ones, when a slug is too long', () => {
    expect(
      assignSlugs(['microsoft.com/cognitiveservices-ComputerVision']).values().next().value,
    ).toBe('microsoft-computer-vision');
  });

  it('never gives out a reserved name, and gives the same slugs whatever the order of the ids', () => {
    const slugs = assignSlugs(['json.io', 'stripe.com'], new Set(['json']));
    expect(slugs.get('json.io')).not.toBe('json');
    expect([...assignSlugs([...specIds].reverse())].sort()).toEqual(
      [...assignSlugs(specIds)].sort(),
    );
  });
});
