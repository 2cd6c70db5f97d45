import { describe, expect, it } from 'vitest';
import { router } from './router.svelte';

describe('router', () => {
  it('goes back to where one was, and not further than the start', () => {
    router.reset({ screen: 'board' });
    router.go({ screen: 'model', id: 'm' });
    router.go({ screen: 'history' });
    router.back();
    expect(router.location).toEqual({ screen: 'model', id: 'm' });
    router.back();
    router.back();
    expect(router.location).toEqual({ screen: 'board' });
    expect(router.canGoBack).toBe(false);
  });

  it('returns from a sign-off to its model without a second back step to the same model', () => {
    router.reset({ screen: 'board' });
    router.go({ screen: 'model', id: 'm' });
    router.go({ screen: 'signoff', id: 'm', gate: 'safety' });
    router.leaveTo({ screen: 'model', id: 'm', gate: 'safety' });
    expect(router.location).toEqual({ screen: 'model', id: 'm', gate: 'safety' });
    router.back();
    expect(router.location).toEqual({ screen: 'board' });
  });

  it('says whether a location was reached by going back, for the scroll to return or start at the top', () => {
    router.reset({ screen: 'board' });
    expect(router.returned).toBe(false);
    router.go({ screen: 'model', id: 'm' });
    router.go({ screen: 'signoff', id: 'm', gate: 'safety' });
    expect(router.returned).toBe(false);
    router.leaveTo({ screen: 'model', id: 'm', gate: 'safety' });
    expect(router.returned).toBe(true);
    // The same sign-off opened again is a new visit: it starts at its top.
    router.go({ screen: 'signoff', id: 'm', gate: 'safety' });
    expect(router.returned).toBe(false);
    router.back();
    expect(router.returned).toBe(true);
  });
});
