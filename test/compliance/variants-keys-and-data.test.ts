import { variantsOf } from '../helpers/variants';
import { describeConfigMatrix } from './config-matrix';

describeConfigMatrix('config variants: keys and data', variantsOf('keys-and-data'));
