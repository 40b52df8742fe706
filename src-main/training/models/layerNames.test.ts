import { describe, expect, it } from 'vitest';
import { readableLayerName, readableLayerType } from './layerNames.js';

describe('readable layer names', () => {
  it('turns tfjs generated names into the class and its number', () => {
    expect(readableLayerName('candela_gru_CandelaGRU1')).toBe('GRU 1');
    expect(readableLayerName('candela_causal_conv1d_CandelaCausalConv1D2')).toBe('CausalConv1D 2');
    expect(readableLayerName('dense_Dense3')).toBe('Dense 3');
    expect(readableLayerName('input1')).toBe('Input 1');
  });
  it('keeps names we gave and strips the registration prefix from types', () => {
    expect(readableLayerName('direction')).toBe('direction');
    expect(readableLayerName('variable_selection')).toBe('variable_selection');
    expect(readableLayerType('CandelaLSTM')).toBe('LSTM');
    expect(readableLayerType('Dense')).toBe('Dense');
  });
});
