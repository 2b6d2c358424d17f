import { variantsOf } from '../helpers/variants';
import { describeConfigMatrix } from './config-matrix';

describeConfigMatrix('config variants: network and edge', variantsOf('network-and-edge'));
