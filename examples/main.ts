import { App } from 'cdk8s';
import { buildExampleApp } from './shop';

// `npm run synth` (cdk8s.yaml) runs this file and writes dist/*.k8s.yaml.
buildExampleApp(new App()).synth();
